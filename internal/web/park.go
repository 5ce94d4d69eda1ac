package web

func (s *Server) parkRoutes() []Route { return nil }
