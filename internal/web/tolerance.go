package web

func (s *Server) toleranceRoutes() []Route { return nil }
