package web

func (s *Server) staffRoutes() []Route { return nil }
